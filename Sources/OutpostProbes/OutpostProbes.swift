// OutpostProbes: filled by its issue.
