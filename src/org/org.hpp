#pragma once
/// Organisation room: the department tree, the role catalog, employees, absences and work calendars.
/// Types and pure rules live in the headers of this folder; SQL in *_store.cpp; use cases in *_service.cpp;
/// HTTP in *_api.cpp.
