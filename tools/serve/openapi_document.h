// The OpenAPI 3.1 document of the service (tools/serve/openapi.json, built
// into the program), served at /v1/openapi.json.
#pragma once
#include <string_view>

namespace doudi::serve {
std::string_view openapi_document();
}
