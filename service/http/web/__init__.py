"""The editor's view (issue 7): server-rendered pages over the digester, wired in by `plugin.WebPages`."""
