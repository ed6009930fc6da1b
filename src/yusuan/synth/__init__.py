"""Synthetic corpus with ground truth: random departments, injected errors, a scorer (``yusuan synth``)."""
