// hookbroker: the broker executable.
//
// main() only hands over: its start-up is broker_main.cpp, compiled for size
// with the other start-up code. main.o is always the first object linked, so
// of the inline functions it shares with the per-event code its copies would
// be the ones kept (cmake/code_size.cmake): it instantiates nothing.
#include "broker_main.hpp"

int main(int argc, char** argv) { return hookbroker::core::broker_main(argc, argv); }
