// placeholder translation unit so the library is never empty
