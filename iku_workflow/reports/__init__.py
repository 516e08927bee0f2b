"""Word and Excel builders: they take plain data and return bytes."""

#: The media types every download of a built document is sent with.
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
