"""The logged-in floor of benchmarks/pages.py: the project itself with one empty staff page added."""
