# otdel_embed_migrations(<target> <dir>): compiles every migrations/<engine>/NNNN_name.sql into the binary,
# so one executable carries its schema and `otdel migrate` needs no files beside it.
function(otdel_embed_migrations target root)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_migrations.cpp)
  file(GLOB sqlite_files CONFIGURE_DEPENDS ${root}/sqlite/*.sql)
  file(GLOB pg_files CONFIGURE_DEPENDS ${root}/postgres/*.sql)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DROOT=${root} -DOUT=${out} -P ${PROJECT_SOURCE_DIR}/cmake/embed_migrations.cmake
    DEPENDS ${sqlite_files} ${pg_files} ${PROJECT_SOURCE_DIR}/cmake/embed_migrations.cmake
    COMMENT "Embedding migrations")
  target_sources(${target} PRIVATE ${out})
endfunction()
