"""DL Challenge Catalog generator: catalog YAML and labeled posts in, Markdown pages and charts out.

The pipeline is `site.build.generate`; the command line is `cli`. The subpackages follow
the pipeline: `model` ← `inputs` ← `analysis` ← `pages` ← `site`, with `tools` beside it.
"""
