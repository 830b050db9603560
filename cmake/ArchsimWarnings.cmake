# archsim_warnings: an interface target carrying the project's warning flags,
# linked by every archsim target (targets only, no directory-wide flags).
add_library(archsim_warnings INTERFACE)
target_compile_options(archsim_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
