"""derivlab: SymPy derives, simulation confirms, LaTeX reports, a checker grades.

Conventions used everywhere in the package:

* ``p`` is the KEEP probability of a dropout mask (``torch.nn.Dropout`` takes the
  DROP probability ``1 - p`` and rescales kept entries by ``1/p``).
* Positional rows are CONCATENATED to token features in the notebook's
  transformer, never added.

Layers (a module imports only from layers below it):
1. ``transformers``, ``numerics``  2. ``derivations``  3. ``claims``, ``checking``
4. ``reports``, ``testing``  5. ``bench``  6. ``cli``.
"""

__version__ = "0.1.0"
