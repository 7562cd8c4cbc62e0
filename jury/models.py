"""Jury membership, declarations, conflicts of interest, assignments and scorecards (see the jury issue)."""
