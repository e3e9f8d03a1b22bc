#pragma once

// One keyset page of a list query: rows ordered by (an order value, id),
// starting after the previous page's last key. The store's list functions
// return this shape, so feature code turns `next_after` into a page token
// without knowing how the rows were read (keyset_statement.h reads them).

#include <string>
#include <vector>


namespace clinicd::store {

// Up to the page size of items, and the key (order value, id) of the last
// one when more rows follow; `next_after` is empty on the last page.
template <typename T>
struct KeysetPage {
  std::vector<T> items;
  std::vector<std::string> next_after;
};

}  // namespace clinicd::store
