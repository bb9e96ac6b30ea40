"""The families the driver runs, by name."""
import fam_catalogs
import fam_data
import fam_requests
import fam_state

FAMILIES = {
    "parallel": fam_state.parallel,
    "kill": fam_state.kill,
    "requests": fam_requests.requests,
    "catalogs": fam_catalogs.catalogs,
    "data": fam_data.data,
}
