"""Public Hypothesis strategies, the mutant catalogue and fuzz runs. Layer 4."""
