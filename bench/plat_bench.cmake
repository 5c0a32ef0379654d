# The PLAT's state table (sixgate_plat_state) under load: new UDP sessions per second on one
# thread, lookups of existing sessions from both sides, and table memory per session.
# Run: build/bench/plat_session_bench [--benchmark_min_time=0.05]
add_executable(plat_session_bench ${CMAKE_CURRENT_LIST_DIR}/plat_session_bench.cpp)
target_link_libraries(plat_session_bench PRIVATE sixgate_plat_state benchmark::benchmark_main)
