"""Applicant and organiser views of applications."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def dashboard(request):
    return render(request, "applications/dashboard.html", {"applications": []})
