<?xml version="1.0" encoding="utf-8"?>
<!-- Lays out the site's Atom feeds (web/feeds.py) as a readable page in a browser, with how to subscribe.
     Feed readers ignore it. Styles are inline: the page is the feed's own document, and the site's stylesheet is
     served only under a hashed name; the Content-Security-Policy allows inline styles (never scripts). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
                exclude-result-prefixes="atom dc">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat" indent="yes"/>

  <xsl:template match="/atom:feed">
    <html lang="en-GB">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> (Atom feed) | NHS trust inspection histories</title>
        <style>
          *, *::before, *::after { box-sizing: border-box; }
          body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
                 line-height: 1.5; color: #1b1b1b; background: #fff; }
          .wrap { max-width: 50rem; margin: 0 auto; padding: 0 1rem; }
          header { background: #1b1b1b; padding: 0.75rem 0; }
          header a, header a:visited { color: #fff; font-weight: bold; font-size: 1.15rem; text-decoration: none; }
          h1 { font-size: 1.75rem; line-height: 1.2; margin: 1.25rem 0 0.5rem; }
          h2 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
          h3 { font-size: 1.1rem; margin: 0 0 0.25rem; }
          .subscribe h2 { margin-top: 0; }
          p, li, code { overflow-wrap: anywhere; }
          a { color: #0b4f8a; text-underline-offset: 0.15em; }
          a:visited { color: #5b2a86; }
          :focus-visible { outline: 3px solid #1b1b1b; outline-offset: 2px; box-shadow: 0 0 0 6px #ffbf47; }
          .subscribe { border-left: 6px solid #0b4f8a; background: #f3f2f1; padding: 0.75rem 1rem; margin: 1rem 0 1.5rem; }
          .subscribe p { margin: 0.25rem 0; }
          code { font-size: 0.95rem; background: #fff; border: 1px solid #b1b4b6; padding: 0 0.25rem; }
          ol { list-style: none; margin: 0; padding: 0; }
          li { border-top: 1px solid #b1b4b6; padding: 0.75rem 0; }
          .when { color: #4a4a4a; margin: 0; }
          .summary { margin: 0.25rem 0 0; }
        </style>
      </head>
      <body>
        <header><div class="wrap"><a href="/">NHS trust inspection histories</a></div></header>
        <main class="wrap">
          <h1><xsl:value-of select="atom:title"/></h1>
          <p><xsl:value-of select="atom:subtitle"/></p>
          <section class="subscribe" aria-labelledby="subscribe-heading">
            <h2 id="subscribe-heading">This is a feed: follow it in a feed reader</h2>
            <p>A feed reader (an app or a website) checks this address for you and shows each new report as it
              arrives. To subscribe, copy this address into your feed reader:</p>
            <p><code><xsl:value-of select="atom:link[@rel='self']/@href"/></code></p>
            <p>Or <a href="{atom:link[@rel='alternate']/@href}">read the reports on the site</a>.</p>
          </section>
          <h2 id="reports-heading">Reports, newest first</h2>
          <xsl:choose>
            <xsl:when test="atom:entry">
              <ol aria-labelledby="reports-heading">
                <xsl:for-each select="atom:entry">
                  <li>
                    <h3><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h3>
                    <p class="summary"><xsl:value-of select="atom:summary"/></p>
                  </li>
                </xsl:for-each>
              </ol>
            </xsl:when>
            <xsl:otherwise><p>No report is held yet.</p></xsl:otherwise>
          </xsl:choose>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
