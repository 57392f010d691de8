using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cadence.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ConversationActivity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LastInboundId",
                table: "ConversationStates",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "LastMessageId",
                table: "ConversationStates",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_ConversationStates_TeamId_LastMessageId",
                table: "ConversationStates",
                columns: new[] { "TeamId", "LastMessageId" });

            // Each conversation's latest text and latest inbound text, from the texts already there.
            migrationBuilder.Sql("""
                INSERT INTO "ConversationStates" ("TeamId", "ContactId", "MobileNumber", "ReadThroughId", "ArchivedThroughId", "UpdatedAt", "LastMessageId", "LastInboundId")
                SELECT COALESCE("TeamId", '00000000-0000-0000-0000-000000000000'), COALESCE("ContactId", '00000000-0000-0000-0000-000000000000'), CASE WHEN "ContactId" IS NULL THEN "MobileNumber" ELSE '' END,
                       0, NULL, strftime('%Y-%m-%d %H:%M:%f', 'now'), MAX("Id"), MAX(CASE WHEN "Direction" = 'inbound' THEN "Id" ELSE 0 END)
                FROM "Messages" WHERE true
                GROUP BY 1, 2, 3
                ON CONFLICT ("TeamId", "ContactId", "MobileNumber") DO UPDATE SET
                    "LastMessageId" = max("ConversationStates"."LastMessageId", excluded."LastMessageId"),
                    "LastInboundId" = max("ConversationStates"."LastInboundId", excluded."LastInboundId")
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ConversationStates_TeamId_LastMessageId",
                table: "ConversationStates");

            migrationBuilder.DropColumn(
                name: "LastInboundId",
                table: "ConversationStates");

            migrationBuilder.DropColumn(
                name: "LastMessageId",
                table: "ConversationStates");
        }
    }
}
