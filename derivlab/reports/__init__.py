"""LaTeX solution report, figures, PDF build and grading output. Layer 4."""
