// OutpostAgent: filled by its issue.
