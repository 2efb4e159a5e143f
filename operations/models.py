"""No models: the data version of the page cache is a table of its own
(operations/pagecache.py), which Django's flush must not empty."""
