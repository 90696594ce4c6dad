"""The checker's soundness, measured: an independent oracle (exact, every keep mask), a
generator of true rewrites and wrong mutations in student spellings, and a harness that
counts false accepts, false rejects and misses of ``check_derivation_text``. Layer 4.

    terms      what a step means (its own tiny expression trees)
    oracle     exact evaluation over every mask at (1,1) (2,2) (2,3) (3,2) (3,3)
    spellings  a term as LaTeX in a student's spelling
    catalogue  true steps (course route and rewrites); mutations, traps: wrong ones
    steps      cases (documents + meanings), fixed-seed corpus and Hypothesis strategy
    issue_cases  every case of issue 15
    harness    checker vs oracle, classified
"""
