"""Where reports are on a portal: link vocabularies (data) and CMS-family list helpers."""
