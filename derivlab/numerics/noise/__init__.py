"""Numerics of the noise-injection problem (layer 1): Monte Carlo over Gaussian noise, and the exact
expectation by enumerating a two-point law with the same first two moments."""
