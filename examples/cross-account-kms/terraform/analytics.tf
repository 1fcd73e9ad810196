resource "aws_iam_user" "jane" {
  provider = aws.analytics
  name     = "Jane"
}

# Jane's policy names the old bucket, example-analytics-export (no final "s").
resource "aws_iam_user_policy" "jane" {
  provider = aws.analytics
  name     = "analytics-exports-read"
  user     = aws_iam_user.jane.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "ExampleStmt"
        Action = ["s3:GetObject", "s3:ListBucket"]
        Effect = "Allow"
        Resource = [
          "arn:aws:s3:::example-analytics-export",
          "arn:aws:s3:::example-analytics-export/*",
        ]
      },
      {
        Sid      = "KMSAccess"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Effect   = "Allow"
        Resource = aws_kms_key.exports.arn
      },
    ]
  })
}

data "aws_iam_policy_document" "assume_from_analytics" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}

resource "aws_iam_role" "report_reader" {
  provider           = aws.analytics
  name               = "ReportReader"
  assume_role_policy = data.aws_iam_policy_document.assume_from_analytics.json
}

resource "aws_iam_role_policy" "report_reader" {
  provider = aws.analytics
  name     = "read-exported-reports"
  role     = aws_iam_role.report_reader.id

  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "ReadExportedReports",
          "Effect": "Allow",
          "Action": "s3:GetObject",
          "Resource": "arn:aws:s3:::example-analytics-exports/reports/*"
        },
        {
          "Sid": "DecryptExportedReports",
          "Effect": "Allow",
          "Action": "kms:Decrypt",
          "Resource": "${aws_kms_key.exports.arn}"
        }
      ]
    }
  POLICY
}

data "aws_iam_policy_document" "assume_from_ec2" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "etl_writer" {
  provider           = aws.analytics
  name               = "EtlWriter"
  assume_role_policy = data.aws_iam_policy_document.assume_from_ec2.json
}

resource "aws_iam_role_policy" "etl_writer" {
  provider = aws.analytics
  name     = "upload-raw-events"
  role     = aws_iam_role.etl_writer.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "UploadRawEvents"
        Effect   = "Allow"
        Action   = "s3:PutObject"
        Resource = "arn:aws:s3:::example-analytics-exports/raw/*"
      },
      {
        Sid      = "EncryptRawEvents"
        Effect   = "Allow"
        Action   = ["kms:GenerateDataKey", "kms:Decrypt"]
        Resource = aws_kms_key.exports.arn
      },
    ]
  })
}
