"""The source viewer: a cited place rendered with its span highlighted (PNG for pages and
images, HTML for text)."""
