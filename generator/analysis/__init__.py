"""Stages 3 and 4, analyze and chart: every number the site shows, the charts drawn from
them, and the downloads. Imports `model` (and `inputs` never at run time).
"""
