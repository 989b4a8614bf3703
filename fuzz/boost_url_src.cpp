// Boost.URL compiled into the fuzz target: Debian's libboost_url lacks a constructor the headers declare
// (params_view(params_view const&, encoding_opts)), which gcc builds inline but clang -O1 calls.
#include <boost/url/src.hpp>
