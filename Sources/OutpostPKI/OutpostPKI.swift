// OutpostPKI: filled by its issue.
