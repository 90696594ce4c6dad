"""The notebook's one-layer attention model (NumPy and PyTorch), its tasks, the
hand-coded designs, training of learned twins and their comparison. Layer 1.

Positional rows are CONCATENATED to the token features (not added).
"""
