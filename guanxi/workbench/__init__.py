"""The workbench (``guanxi serve``): a local, read-only web application over a store. See docs/workbench.md."""
