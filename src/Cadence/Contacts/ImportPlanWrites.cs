using System.Runtime.CompilerServices;

namespace Cadence.Contacts;

/// <summary>What a row that passed its checks becomes: a new contact, a changed one, or nothing when it changes nothing.</summary>
public sealed partial class ImportPlan
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    PlannedWrite? Create(ContactInput input, in CheckedRow row)
    {
        var merged = ImportFields.Merge([], row.Values);
        if (fieldRules.MissingRequired(input, merged, Errors))
        {
            FailedRows++;
            return null;
        }
        var contact = new Contact
        {
            OrganizationId = Team.OrganizationId, TeamId = Team.Id, UniqueCampusId = row.Id, FirstName = row.FirstName, LastName = row.LastName,
            MobileNumber = row.Mobile, OptedOut = HeedNumber(input, row.Id, row.Mobile, input.OptedOut ?? false, newNumber: true), StaffId = row.StaffId,
            CustomFields = CustomFieldValues.Serialize(merged), CreatedAt = Now, UpdatedAt = Now,
        };
        Created++;
        batchNumbers[row.Mobile] = row.Id;
        if (contact.OptedOut)
        {
            RecordOptOut(contact, false);
        }
        return new PlannedWrite(contact, true, contact.OptedOut);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    PlannedWrite? Change(ContactInput input, in CheckedRow row, StoredContact stored)
    {
        if (!TryMergeFields(input, row.Values, stored, out var customFields))
        {
            FailedRows++;
            return null;
        }
        var optedOut = HeedNumber(input, row.Id, row.Mobile, input.OptedOut ?? stored.OptedOut, newNumber: row.Mobile != stored.MobileNumber);
        var newStaffId = input.StaffIdGiven ? row.StaffId : stored.StaffId;
        if (row.FirstName == stored.FirstName && row.LastName == stored.LastName && row.Mobile == stored.MobileNumber
            && optedOut == stored.OptedOut && newStaffId == stored.StaffId && customFields is null)
        {
            Unchanged++;
            return null;
        }
        var updated = new Contact
        {
            Id = stored.Id, OrganizationId = Team.OrganizationId, TeamId = Team.Id, UniqueCampusId = row.Id,
            FirstName = row.FirstName, LastName = row.LastName, MobileNumber = row.Mobile, OptedOut = optedOut, StaffId = newStaffId,
            CustomFields = customFields ?? stored.CustomFields, // decoded only for a contact that is written
            UpdatedAt = Now,
        };
        Updated++;
        if (updated.MobileNumber != stored.MobileNumber)
        {
            // The old number stays reserved until the batch is written: passing a number from one contact to
            // another inside one batch could break the unique index halfway (import such moves in two batches).
            batchNumbers[updated.MobileNumber] = row.Id;
            batchNumbers[stored.MobileNumber] = row.Id;
        }
        if (updated.OptedOut != stored.OptedOut)
        {
            RecordOptOut(updated, stored.OptedOut);
        }
        return new PlannedWrite(updated, false, updated.OptedOut != stored.OptedOut);
    }

    /// <summary>
    /// The stored contact's custom fields with the row's values (null: as stored); false when a required field is left
    /// without a value (reported).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    bool TryMergeFields(ContactInput input, Dictionary<string, string?> values, StoredContact stored, out string? customFields)
    {
        // Most rows of a regular import change nothing: keep the stored text unless a value or a rule needs a look.
        customFields = null;
        // The common case, values equal to the stored ones, is checked on the stored UTF-8 without decoding it:
        // parse, merge and serialise for every row took about 0.5 s of a 100,000-row unchanged re-import.
        if (!fieldRules.HasRequired && (values.Count == 0 || stored.Keeps(values)))
        {
            return true;
        }
        var merged = ImportFields.Merge(CustomFieldValues.Parse(stored.CustomFieldsUtf8), values);
        if (fieldRules.MissingRequired(input, merged, Errors))
        {
            return false;
        }
        customFields = CustomFieldValues.Serialize(merged);
        if (stored.SameCustomFields(customFields))
        {
            customFields = null;
        }
        return true;
    }

    /// <summary>
    /// The opt-out status a row ends with once its number's own opt-out is heeded: a STOP the student texted
    /// stands whatever the import says; another remembered opt-out (of a deleted contact) carries over to a contact
    /// given the number, unless the row opts it in.
    /// </summary>
    bool HeedNumber(ContactInput input, string id, string mobile, bool wanted, bool newNumber)
    {
        if (OptedOutNumbers.Count == 0 || !OptedOutNumbers.TryGetValue(mobile, out var byStudent))
        {
            return wanted;
        }
        if (byStudent)
        {
            if (input.OptedOut == false)
            {
                Notice(input, id, $"the student texted STOP from {mobile}; only the student can opt back in (by texting START), so the contact stays opted out");
            }
            else if (newNumber && input.OptedOut is null)
            {
                Notice(input, id, $"the student texted STOP from {mobile} earlier, so the contact starts opted out");
            }
            return true;
        }
        if (input.OptedOut == false)
        {
            ForgottenNumbers.Add(mobile);
            return false;
        }
        if (newNumber && input.OptedOut is null)
        {
            Notice(input, id, $"{mobile} opted out of this team earlier, so the contact starts opted out");
        }
        return newNumber || wanted;
    }

    void Notice(ContactInput input, string id, string reason) => Errors.Notice(new RowError(input.Row, id, "optedOut", reason));

    void RecordOptOut(Contact contact, bool oldValue)
    {
        OptOutChanges.Add(new OptOutChange
        {
            OrganizationId = contact.OrganizationId, TeamId = contact.TeamId, ContactId = contact.Id,
            OldValue = oldValue, NewValue = contact.OptedOut, Source = source, At = Now,
        });
        OptOutEvents.Add(Contacts.OptOutEvents.ForImport(contact, Team.DepartmentCode, source, Now));
    }

}
