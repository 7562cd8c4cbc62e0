"""The baseline of benchmarks/results_page.py: one Django view and one template, served by the same gunicorn."""
