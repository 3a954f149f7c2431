// OutpostWire: filled by its issue.
