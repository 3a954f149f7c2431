// OutpostCollector: filled by its issue.
