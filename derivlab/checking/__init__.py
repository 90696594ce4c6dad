"""Student input: derivations (restricted Lark grammar, contexts, exact
equivalence, hints) and hand-coded weights. Layer 3. Student text is never
passed to eval, sympify, parse_expr or lambdify."""
