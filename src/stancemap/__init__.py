"""stancemap: statements, stances and figures from news articles.

Every stage is a plain function of paths or DataFrames, so the Snakemake workflow, the tests and a notebook all
call the same code. The stages, in order: :mod:`ingest`, :mod:`segment`, :mod:`classify`, :mod:`tables`,
:mod:`plots`, :mod:`compare`.
"""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
