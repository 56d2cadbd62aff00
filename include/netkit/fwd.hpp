// Cheap forward declarations for users' headers: name the library's
// vocabulary types without paying for their definitions (fmt's base.h).
#pragma once

#include <cstdint>

namespace netkit::core {

enum class errno_code : int;
struct error;
template <class T>
class result;
struct done;
template <class Tag, class Representation>
class strong_id;
struct profile_traits;

}  // namespace netkit::core
