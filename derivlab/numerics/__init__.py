"""Numeric confirmation: exact enumeration, Monte Carlo, PyTorch SGD with dropout. Layer 1."""
