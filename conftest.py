"""pytest collection: the numba kernels are a module only the optional ``fast`` extra can import,
so doctest collection skips it when numba is absent (tests/test_optim_fused.py says so)."""

import importlib.util

collect_ignore = [] if importlib.util.find_spec("numba") else ["optim/_numba_kernels.py"]
