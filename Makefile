# Everyday commands. Each one creates and fills .venv on first use (see dev.py).
PYTHON ?= python3

.PHONY: play demo test lint bench
play:
	@$(PYTHON) dev.py play
demo:
	@$(PYTHON) dev.py demo
test:
	$(PYTHON) dev.py test
lint:
	$(PYTHON) dev.py lint
bench:
	$(PYTHON) dev.py bench
