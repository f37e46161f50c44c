"""The BLAS libraries loaded into this process (read from /proc/self/maps):
shared by the Python peers so each can say which BLAS it measured."""

import os


def loaded_blas_libraries():
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                if "blas" in os.path.basename(path).lower():
                    libs.add(path)
    except OSError:
        pass
    return sorted(libs)
