"""SymPy derivations: statements, step-by-step proofs, closed forms, moment rules.

Layer 2: may import ``derivlab.numerics`` and ``derivlab.transformers``, nothing above.
"""
