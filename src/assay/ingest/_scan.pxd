# C types for _scan.py when Cython compiles it (the .py stays plain Python).
import cython


@cython.locals(n=cython.Py_ssize_t, i=cython.Py_ssize_t, depth=cython.Py_ssize_t, c=cython.uchar)
cpdef Py_ssize_t value_end(bytes buf, Py_ssize_t p) except -2
