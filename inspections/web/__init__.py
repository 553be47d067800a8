"""The site's pages: thin views, downloads, URLs, the page cache, the Jinja2 environment for repeated partials and
the rating levels' stylesheet."""
