"""Validation of model labels against a hand-coded random sample.

``sample.py`` draws the statements to code, ``annotate.py`` is the terminal coder, ``labels.py`` reads a coded
file, ``agreement.py`` scores the model (and coders) against the coders, ``ppi.py`` corrects label shares with
prediction-powered inference, and ``validate.py`` writes the tables and figures of ``results/validation/``.
Nothing here imports the training code.
"""
