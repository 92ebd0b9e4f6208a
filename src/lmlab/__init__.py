"""lmlab: the computations behind *How Language Models Work*."""
__version__ = "0.1.0"
