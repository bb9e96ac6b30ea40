-- the Talent Acquisition team (ta_roster seed) with names and activity from Greenhouse
with users as (
    select * from {{ ref('stg_greenhouse__users') }}
    where recruiter_id is not null
)

select
    roster.recruiter_id,
    users.user_name as recruiter_name,
    roster.recruiting_team,
    roster.recruiter_role,
    roster.is_contractor,
    roster.office,
    not users.is_disabled as is_active
from {{ ref('ta_roster') }} roster
left join users on users.recruiter_id = roster.recruiter_id
