"""Wire schemas (pydantic), named by role: *Request, *Out, *Page."""
