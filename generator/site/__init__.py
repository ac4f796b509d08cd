"""The run: the pipeline in order (`build`), the only writes to `docs/` and `site/`, the
record that makes an unchanged run free, the reports, and the preview server.
"""
