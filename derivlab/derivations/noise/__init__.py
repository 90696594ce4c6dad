"""The noise-injection problem (Bishop 1995; Srivastava et al. 2014), layer 2: its symbols, the
two derivations for every n, d, their lemmas, and the catalogue of wrong versions.

* ``noise.additive-gaussian``: E_N‖y − (X + N)w‖² = ‖y − Xw‖² + nσ²‖w‖², N_ij ~ N(0, σ²) i.i.d.;
* ``noise.gaussian-dropout``: E_N‖y − (X ⊙ (𝟏𝟏ᵀ + N))w‖² = ‖y − Xw‖² + α‖Γw‖², N_ij ~ N(0, α) i.i.d.
  (multiplicative noise M = 1 + N with mean 1 and VARIANCE α), Γ = diag(XᵀX)^{1/2}.

Modules: ``symbols`` (names and the index rules), ``chains`` (the verified matrix chains),
``lemmas`` (Gaussian moments by Isserlis and from the MGF; E[NᵀN], E[(X⊙N)ᵀ(X⊙N)]),
``variants`` (the correct closed forms and the wrong ones students write).
"""
