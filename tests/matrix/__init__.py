"""Access-matrix entries per app (see tests/access_matrix.py)."""
