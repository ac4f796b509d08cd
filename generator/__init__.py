"""DL Challenge Catalog generator: catalog YAML and labeled posts in, Markdown pages and charts out.

The pipeline is `build.generate`; the command line is `cli`.
"""
